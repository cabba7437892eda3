import path from 'node:path';
import { runGrader } from '../../../grader-kit/index';
import { grade, warmup } from './checks';
import { promtoolRunner } from '../../../grader-kit/promtool';

// In the image the bundle is /grader/grader.cjs, next to the hidden scenarios in /grader/data; promtool comes from
// Debian's prometheus package (grader/Dockerfile).
const config = { runner: promtoolRunner('/usr/bin/promtool'), dataDir: path.join(__dirname, 'data') };

void runGrader((sub, ctx) => grade(sub, config, ctx), { warmup: () => warmup(config.dataDir, config.runner) });
