import path from 'node:path';
import { runGrader, subjectUrl } from '../../../grader-kit/index';
import { grade } from './checks';

// In the image the bundle is /grader/grader.cjs and the hidden logs are in /grader/data.
void runGrader((sub, ctx) => grade(sub, { subjectUrl: subjectUrl(''), dataDir: path.join(__dirname, 'data') }, ctx));
