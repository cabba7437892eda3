/**
 * The Istio validation the workspace's `lms validate` runs for this lab (lib/workspaces/images.ts imports the lab's
 * grader/schema): the grader kit's, the same code the grader uses.
 */
export { ISTIO_SCHEMAS, ISTIO_SOURCE, validate } from '../../../grader-kit/istio-schema';
