import { runGrader } from '../../../grader-kit/index';
import { grade } from './checks';

void runGrader(grade);
