import { runGrader, waitForSubject, probe } from '../../../grader-kit/index';
import { readBuildInfo, readRunInfo } from '../../../grader-kit/build-info';
import { gradeWith } from './checks';

const WAIT_MS = 8000;

void runGrader(async (sub) => {
  // What the engine saw of the build and the run (never written by the learner: names under .lms/ are refused).
  const build = readBuildInfo(sub);
  const run = readRunInfo(sub);
  let reach = null;
  if (build.ok) {
    // The engine already waited for the subject: when it did not start, or never accepted a connection, do not wait again.
    const up = run?.started === false || run?.answered === false ? false : await waitForSubject(WAIT_MS, '/readyz');
    // Readiness turns 200 after a short warm-up: ask a few times before taking the answer.
    reach = {
      get: async (p: string) => {
        if (!up) return { error: `no answer within ${WAIT_MS / 1000} s` };
        let r = await probe(p, { timeoutMs: 2000 });
        for (let i = 0; i < 20 && !('error' in r) && r.status !== 200; i++) {
          await new Promise((ok) => setTimeout(ok, 150));
          r = await probe(p, { timeoutMs: 2000 });
        }
        return r;
      },
    };
  }
  return gradeWith(sub, build, reach, run);
});
