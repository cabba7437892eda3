import { runGrader } from '../../../grader-kit/index';
import { grade, warmup } from './checks';

// Starting the HCL parser (a worker thread running HashiCorp's parser as WASM) is most of a cold run; a pooled
// sandbox does it before the submission arrives.
void runGrader(grade, { warmup });
