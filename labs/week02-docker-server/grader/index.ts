import { runGrader, waitForSubject, probe } from '../../../lib/grader-kit/index';
import { gradeWith, type BuildInfo } from './checks';

void runGrader(async (sub) => {
  // What the engine saw of the build (never written by the learner: names under .lms/ are refused at submission).
  const build = JSON.parse(sub.text('.lms/build.json') ?? '{"ok":false,"error":"no build information"}') as BuildInfo;
  let reach = null;
  if (build.ok) {
    await waitForSubject(8000, '/healthz');
    reach = { get: (p: string) => probe(p, { timeoutMs: 2000 }) };
  }
  return gradeWith(sub, build, reach);
});
