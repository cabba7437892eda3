import path from 'node:path';
import { runGrader, subjectUrl } from '../../../grader-kit/index';
import { grade, loadConfig } from './checks';

// In the image the bundle is /grader/grader.cjs, next to /grader/lab.yaml and the hidden payloads in /grader/data.
const config = () => loadConfig(path.join(__dirname, 'lab.yaml'), path.join(__dirname, 'data'), subjectUrl(''));

void runGrader((sub, ctx) => grade(sub, config(), ctx));
