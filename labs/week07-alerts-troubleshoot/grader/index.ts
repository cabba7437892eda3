import path from 'node:path';
import { runGrader } from '../../../grader-kit/index';
import { promtoolRunner } from '../../../grader-kit/promtool';
import { grade, warmup } from './checks';

// In the image the bundle is /grader/grader.cjs, next to the hidden incidents in /grader/data; promtool comes from
// Debian's package (grader/Dockerfile, as in week 7's build lab).
const config = { runner: promtoolRunner('/usr/bin/promtool'), dataDir: path.join(__dirname, 'data') };

void runGrader((sub, ctx) => grade(sub, config, ctx), { warmup: () => warmup(config.dataDir, config.runner) });
