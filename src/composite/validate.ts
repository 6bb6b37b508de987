// The composite tools' cross-field rules, as a config rule: raw data in, RawIssues (with paths,
// so the loader attaches file and line) out. config/ cannot run them itself — templates are this
// layer's business — so the commands pass `compositeToolIssues` to the loader (LoadTextOptions.rules).
import { isRecord } from '../config/expand-env.js';
import { error } from '../config/issues.js';
import type { RawIssue } from '../config/issues.js';
import { stepIssues } from './validate-steps.js';
import { outputIssues } from './validate-output.js';
import { checkWorkflowTemplates, defaultResultsIssues, TemplateChecker } from './validate-templates.js';
import { list, readWorkflow, str } from './validate-model.js';

export function compositeToolIssues(data: unknown): RawIssue[] {
  const issues: RawIssue[] = [];
  if (!isRecord(data)) return issues;
  const report = (issue: RawIssue): void => {
    issues.push(issue);
  };
  const names = new Map<string, number>();
  list(data.compositeTools).forEach((raw, i) => {
    if (!isRecord(raw)) return;
    const name = str(raw.name);
    const first = name === undefined ? undefined : names.get(name);
    if (name !== undefined && first !== undefined) {
      report(
        error(['compositeTools', i, 'name'], `duplicate composite tool name "${name}": compositeTools[${first}] and compositeTools[${i}]`),
      );
    } else if (name !== undefined) names.set(name, i);
    const wf = readWorkflow(raw, ['compositeTools', i]);
    stepIssues(wf, report);
    const checker = new TemplateChecker(wf, report);
    checkWorkflowTemplates(wf, checker);
    defaultResultsIssues(wf, checker.reads, report);
    outputIssues(raw.output, ['compositeTools', i, 'output'], report);
  });
  return issues;
}
