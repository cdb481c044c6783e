/**
 * What satisfaction/ offers the layers above it and never the package: the cross-folder surface of its internals.
 * Other folders import satisfaction/ through this file or index.ts only (checked by dependency-cruiser).
 */
export { importancePerformance } from './importance-performance';
export { plsPathModel } from './pls-path-model';
export type { PlsFit, PlsOptions } from './pls-path-model';
export { resolveSurveyModel } from './survey-model';
export type { SurveyModel, SurveyModelName, SurveyModelSpec } from './survey-model';
export { checkPlsOptions, plsFitOfMoments } from './pls-path-model';
export type { PlsMomentFit, ReplicateMoments } from './pls-path-model';
export { plsStructure } from './pls-estimate';
export { pathModel } from './path-model';
export type { PathModel } from './path-model';
