// Alert rules: what fires an alert.
import { apiPath, type HttpClient } from '../../lib/http';
import type { AlertRule, AlertRuleInput, Deleted } from '../../lib/wire';

export function listAlertRules(http: HttpClient): Promise<AlertRule[]> {
  return http.get('/api/alert-rules');
}

export function createAlertRule(http: HttpClient, rule: AlertRuleInput): Promise<AlertRule> {
  return http.post('/api/alert-rules', rule);
}

export function updateAlertRule(http: HttpClient, id: string, rule: AlertRuleInput): Promise<AlertRule> {
  return http.put(apiPath`/api/alert-rules/${id}`, rule);
}

export function deleteAlertRule(http: HttpClient, id: string): Promise<Deleted> {
  return http.delete(apiPath`/api/alert-rules/${id}`);
}
