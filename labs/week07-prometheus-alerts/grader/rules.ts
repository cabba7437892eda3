/** The rule file this lab grades, read with the grader kit's rule-file reader (grader-kit/prom-rules.ts). */
import type { Submission } from '../../../grader-kit/index';
import { loadRuleFile as load, type RuleFile } from '../../../grader-kit/prom-rules';

export { exprOffsetInFile, parseDuration, removeRules, type ExprText, type Rule, type RuleFile } from '../../../grader-kit/prom-rules';

export const RULE_FILE = 'alerts.yml';

export function loadRuleFile(sub: Submission): RuleFile {
  return load(sub, RULE_FILE);
}
