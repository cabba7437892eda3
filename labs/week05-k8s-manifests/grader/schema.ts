/**
 * This lab validates manifests with the grader kit's Kubernetes 1.36 validation (grader-kit/k8s-schema.ts), which the
 * week's troubleshooting lab and the workspaces' `lms validate` share.
 */
export { KINDS, KUBERNETES_VERSION, validateObject, type Problem } from '../../../grader-kit/k8s-schema';
