import { runGrader } from '../../../lib/grader-kit/index';
import { grade, warmup } from './checks';

void runGrader(grade, { warmup });
