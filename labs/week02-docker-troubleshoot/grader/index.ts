import fs from 'node:fs';
import { runGrader, waitForSubject, probe } from '../../../grader-kit/index';
import { readBuildInfo, readRunInfo } from '../../../grader-kit/build-info';
import { gradeWith, listeningPorts } from './checks';

/** The ports something listens on in the network namespace the grader shares with the running container. */
function listening(): number[] {
  const read = (f: string) => {
    try {
      return fs.readFileSync(f, 'utf8');
    } catch {
      return '';
    }
  };
  return listeningPorts(read('/proc/net/tcp'), read('/proc/net/tcp6'));
}

void runGrader(async (sub) => {
  // What the engine saw of the build and the run (never written by the learner: names under .lms/ are refused).
  const build = readBuildInfo(sub);
  const run = readRunInfo(sub);
  let reach = null;
  if (build.ok) {
    // The engine already waited for the subject: when it did not start, or never accepted a connection, do not wait again.
    const hopeless = run?.started === false || run?.answered === false;
    if (hopeless) {
      const why = run?.started === false ? 'the container did not start' : 'nothing accepted a connection on port 8080 within 8 s';
      reach = { get: async () => ({ error: why }) };
    } else {
      await waitForSubject(8000, '/healthz');
      reach = { get: (p: string) => probe(p, { timeoutMs: 2000 }) };
    }
  }
  return gradeWith(sub, build, reach, run, { listening });
});
