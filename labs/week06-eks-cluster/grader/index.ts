import { runGrader } from '../../../grader-kit/index';
import { grade, schemaValidator } from './checks';

// Compiling the JSON schema with ajv is most of a cold run; a pooled sandbox does it before the submission arrives.
void runGrader(grade, { warmup: async () => schemaValidator() });
