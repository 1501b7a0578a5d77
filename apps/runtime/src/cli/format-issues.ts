import { formatIssue, type GraphIssue } from '@kinegraph/graph-core';

export { formatIssue };

export function formatIssues(issues: GraphIssue[]): string {
  return issues.map(formatIssue).join('\n');
}
