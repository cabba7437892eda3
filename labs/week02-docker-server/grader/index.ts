import { runGrader, waitForSubject, probe } from '../../../lib/grader-kit/index';
import { readBuildInfo, readRunInfo } from '../../../lib/grader-kit/build-info';
import { gradeWith } from './checks';

void runGrader(async (sub) => {
  // What the engine saw of the build and the run (never written by the learner: names under .lms/ are refused at
  // submission).
  const build = readBuildInfo(sub);
  const run = readRunInfo(sub);
  let reach = null;
  if (build.ok) {
    await waitForSubject(8000, '/healthz');
    reach = { get: (p: string) => probe(p, { timeoutMs: 2000 }) };
  }
  return gradeWith(sub, build, reach, run);
});
