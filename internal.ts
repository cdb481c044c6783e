/**
 * What ../ offers the layers above it and never the package: the cross-folder surface of its internals.
 * Other folders import ../ through this file or index.ts only (checked by dependency-cruiser).
 */
export { version } from './package.json';
