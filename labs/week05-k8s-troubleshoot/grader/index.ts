import path from 'node:path';
import { runGrader } from '../../../grader-kit/index';
import { grade } from './checks';

// In the image the bundle is /grader/grader.cjs, next to the live objects of the staging cluster in /grader/data/live.
const config = { liveDir: path.join(__dirname, 'data', 'live') };

void runGrader((sub, ctx) => grade(sub, config, ctx));
