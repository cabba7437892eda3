import { runGrader } from '../../../lib/grader-kit/index';
import { grade } from './checks';

void runGrader(grade);
