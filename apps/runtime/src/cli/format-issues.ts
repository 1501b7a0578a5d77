import type { GraphIssue } from '@kinegraph/graph-core';

/** One line per problem, `nodeId.field: message`, the form the CLI, the API and the editor share. */
export function formatIssue(issue: GraphIssue): string {
  const where = issue.nodeId ? `${issue.nodeId}${issue.field ? '.' + issue.field : ''}: ` : '';
  const tag = issue.severity === 'warning' ? 'warning: ' : '';
  return `${tag}${where}${issue.message}`;
}

export function formatIssues(issues: GraphIssue[]): string {
  return issues.map(formatIssue).join('\n');
}
