import { runGrader } from '../../../grader-kit/index';
import { schemaValidator } from '../../../grader-kit/eksctl-schema';
import { grade } from './checks';

// Compiling eksctl's JSON schema with ajv is most of a cold run; a pooled sandbox does it before the submission arrives.
void runGrader((sub, ctx) => grade(sub, ctx), { warmup: async () => schemaValidator() });
