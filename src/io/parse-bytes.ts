/** The byte parsers live in kernels/ (the CSV ranges parsed on threads use them too); re-exported for io's readers. */
export { utf8Valid } from '../kernels/internal';
