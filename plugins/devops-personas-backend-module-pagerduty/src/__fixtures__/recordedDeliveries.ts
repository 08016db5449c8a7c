/**
 * PagerDuty V3 webhook deliveries, byte for byte as PagerDuty sent them,
 * with the `X-PagerDuty-Signature` header that came with each and the
 * secret of the webhook subscription that signed them. The signatures
 * cover the exact bytes, so the bodies are kept as strings, not as JSON
 * files a formatter could rewrite.
 */

/** One recorded delivery. */
export interface RecordedDelivery {
  /** The `X-PagerDuty-Signature` header. */
  signature: string;
  /** The raw request body. */
  body: string;
}

/**
 * Recorded from a real PagerDuty account (one incident triggered,
 * acknowledged, annotated and resolved; April 2025). Source:
 * https://github.com/Aldaviva/PagerDuty, file
 * Tests/Webhooks/WebhookResourceTests.cs at commit
 * 583eee559aaadca2db064fb46b3e6b98a10ee8cf.
 */
export const recordedAccount = {
  /** The subscription secret those deliveries were signed with (a test account's). */
  secret: 'HvPtlQNKMPpHSSqJpCdndXfo7HnGXa1pnH6w5axpxLFn9aRBNBGh4e8/HlonK5mz',
  deliveries: {
    ping: {
      signature:
        'v1=0e83584cbab86f98c51517cf96a70c90e910532d3d2f067d58c753cc8980a05b',
      body: '{"event":{"id":"01FKZOXA868SHYEE4DVNWB5P9W","event_type":"pagey.ping","resource_type":"pagey","occurred_at":"2025-04-07T03:00:55.532Z","agent":{"id":"PVE0ZR9","type":"user_reference"},"client":null,"data":{"message":"Hello from your friend Pagey!","type":"ping"}}}',
    },
    triggered: {
      signature:
        'v1=3e3032b45bbe1801c13f182b0e0a7f4f3f530225cef07e3e90cbc57874d01c49',
      body: '{"event":{"id":"01FKZSRAPTMF55RE69G8BQHGC6","event_type":"incident.triggered","resource_type":"incident","occurred_at":"2025-04-07T03:47:13.414Z","agent":{"html_url":"https://aldaviva.pagerduty.com/users/PVE0ZR9","id":"PVE0ZR9","self":"https://api.pagerduty.com/users/PVE0ZR9","summary":"Ben","type":"user_reference"},"client":null,"data":{"id":"Q2CKYRLH85UNN4","type":"incident","self":"https://api.pagerduty.com/incidents/Q2CKYRLH85UNN4","html_url":"https://aldaviva.pagerduty.com/incidents/Q2CKYRLH85UNN4","number":37,"status":"triggered","incident_key":"dfead9d88e0649e8b7dee514b1875756","created_at":"2025-04-07T03:47:13Z","title":"Test","service":{"html_url":"https://aldaviva.pagerduty.com/services/PNE3JZM","id":"PNE3JZM","self":"https://api.pagerduty.com/services/PNE3JZM","summary":"Webhook Tester","type":"service_reference"},"assignees":[{"html_url":"https://aldaviva.pagerduty.com/users/PVE0ZR9","id":"PVE0ZR9","self":"https://api.pagerduty.com/users/PVE0ZR9","summary":"Ben","type":"user_reference"}],"escalation_policy":{"html_url":"https://aldaviva.pagerduty.com/escalation_policies/P482651","id":"P482651","self":"https://api.pagerduty.com/escalation_policies/P482651","summary":"Notify Ben and Dad","type":"escalation_policy_reference"},"teams":[],"priority":null,"urgency":"low","conference_bridge":null,"resolve_reason":null,"incident_type":{"name":"incident_default"}}}}',
    },
    acknowledged: {
      signature:
        'v1=91f533c0411d09f3e68622e2b57fdb561e7113ce7635318a2bbf5cde45d3d876',
      body: '{"event":{"id":"01FKZSRAQJLP9S3OPM2VALGUPJ","event_type":"incident.acknowledged","resource_type":"incident","occurred_at":"2025-04-07T03:47:13.546Z","agent":{"html_url":"https://aldaviva.pagerduty.com/users/PVE0ZR9","id":"PVE0ZR9","self":"https://api.pagerduty.com/users/PVE0ZR9","summary":"Ben","type":"user_reference"},"client":null,"data":{"id":"Q2CKYRLH85UNN4","type":"incident","self":"https://api.pagerduty.com/incidents/Q2CKYRLH85UNN4","html_url":"https://aldaviva.pagerduty.com/incidents/Q2CKYRLH85UNN4","number":37,"status":"acknowledged","incident_key":"dfead9d88e0649e8b7dee514b1875756","created_at":"2025-04-07T03:47:13Z","title":"Test","service":{"html_url":"https://aldaviva.pagerduty.com/services/PNE3JZM","id":"PNE3JZM","self":"https://api.pagerduty.com/services/PNE3JZM","summary":"Webhook Tester","type":"service_reference"},"assignees":[{"html_url":"https://aldaviva.pagerduty.com/users/PVE0ZR9","id":"PVE0ZR9","self":"https://api.pagerduty.com/users/PVE0ZR9","summary":"Ben","type":"user_reference"}],"escalation_policy":{"html_url":"https://aldaviva.pagerduty.com/escalation_policies/P482651","id":"P482651","self":"https://api.pagerduty.com/escalation_policies/P482651","summary":"Notify Ben and Dad","type":"escalation_policy_reference"},"teams":[],"priority":null,"urgency":"low","conference_bridge":null,"resolve_reason":null,"incident_type":{"name":"incident_default"}}}}',
    },
    resolved: {
      signature:
        'v1=60a745384fb05b03acfc592b157b05e105e498da2f72f53c437c9d7c8d9aa879',
      body: '{"event":{"id":"01FKZSYE5HCMM576S6JUVIGLQT","event_type":"incident.resolved","resource_type":"incident","occurred_at":"2025-04-07T03:49:36.358Z","agent":{"html_url":"https://aldaviva.pagerduty.com/users/PVE0ZR9","id":"PVE0ZR9","self":"https://api.pagerduty.com/users/PVE0ZR9","summary":"Ben","type":"user_reference"},"client":null,"data":{"id":"Q2CKYRLH85UNN4","type":"incident","self":"https://api.pagerduty.com/incidents/Q2CKYRLH85UNN4","html_url":"https://aldaviva.pagerduty.com/incidents/Q2CKYRLH85UNN4","number":37,"status":"resolved","incident_key":"dfead9d88e0649e8b7dee514b1875756","created_at":"2025-04-07T03:47:13Z","title":"Test","service":{"html_url":"https://aldaviva.pagerduty.com/services/PNE3JZM","id":"PNE3JZM","self":"https://api.pagerduty.com/services/PNE3JZM","summary":"Webhook Tester","type":"service_reference"},"assignees":[],"escalation_policy":{"html_url":"https://aldaviva.pagerduty.com/escalation_policies/P482651","id":"P482651","self":"https://api.pagerduty.com/escalation_policies/P482651","summary":"Notify Ben and Dad","type":"escalation_policy_reference"},"teams":[],"priority":null,"urgency":"low","conference_bridge":null,"resolve_reason":null,"incident_type":{"name":"incident_default"}}}}',
    },
    annotated: {
      signature:
        'v1=7b1cc279d644e35511cfca431696498477e97d46f2403ed46d426435e0efef2b',
      body: '{"event":{"id":"01FKZSYEOK0YQYTT9OZQJDS1P4","event_type":"incident.annotated","resource_type":"incident","occurred_at":"2025-04-07T03:49:36.680Z","agent":{"html_url":"https://aldaviva.pagerduty.com/users/PVE0ZR9","id":"PVE0ZR9","self":"https://api.pagerduty.com/users/PVE0ZR9","summary":"Ben","type":"user_reference"},"client":null,"data":{"incident":{"html_url":"https://aldaviva.pagerduty.com/incidents/Q2CKYRLH85UNN4","id":"Q2CKYRLH85UNN4","self":"https://api.pagerduty.com/incidents/Q2CKYRLH85UNN4","summary":"Test","type":"incident_reference"},"id":"PTSAIFZ","content":"Resolution Note: I\'m resolving it","trimmed":false,"type":"incident_note"}}}',
    },
  } satisfies Record<string, RecordedDelivery>,
};

/**
 * PagerDuty's own signature test vector: an `incident.priority_updated`
 * delivery (priority P1, urgency high) and its signature. Source:
 * https://github.com/PagerDuty/go-pagerduty, file webhookv3/webhookv3_test.go
 * at commit 3df5eb4e62dcdf897d37106578d7be6ad54449dc.
 */
export const goPagerDutyVector = {
  secret: 'lDQHScfUeXUKaQRNF+8XIiDKZ7XX3itBAYzwU0TARw8lJqRnkKl2iB1anSb0Z+IK',
  signature:
    'v1=0c0b9495b893a39e70d1fea2fe11fbe0a825f88b9f67846f6cc07dd2bc5476cd',
  body: '{"event":{"id":"01BWDWL3NYY7LUFPZCC28QUCMK","event_type":"incident.priority_updated","resource_type":"incident","occurred_at":"2021-04-26T17:36:27.458Z","agent":{"html_url":"https://acme.pagerduty.com/users/PLH1HKV","id":"PLH1HKV","self":"https://api.pagerduty.com/users/PLH1HKV","summary":"Tenex Engineer","type":"user_reference"},"client":null,"data":{"id":"PGR0VU2","type":"incident","self":"https://api.pagerduty.com/incidents/PGR0VU2","html_url":"https://acme.pagerduty.com/incidents/PGR0VU2","number":2,"status":"triggered","title":"A little bump in the road","service":{"html_url":"https://acme.pagerduty.com/services/PF9KMXH","id":"PF9KMXH","self":"https://api.pagerduty.com/services/PF9KMXH","summary":"API Service","type":"service_reference"},"assignees":[{"html_url":"https://acme.pagerduty.com/users/PTUXL6G","id":"PTUXL6G","self":"https://api.pagerduty.com/users/PTUXL6G","summary":"User 123","type":"user_reference"}],"escalation_policy":{"html_url":"https://acme.pagerduty.com/escalation_policies/PUS0KTE","id":"PUS0KTE","self":"https://api.pagerduty.com/escalation_policies/PUS0KTE","summary":"Default","type":"escalation_policy_reference"},"teams":[{"html_url":"https://acme.pagerduty.com/teams/PFCVPS0","id":"PFCVPS0","self":"https://api.pagerduty.com/teams/PFCVPS0","summary":"Engineering","type":"team_reference"}],"priority":{"html_url":"https://acme.pagerduty.com/account/incident_priorities","id":"PSO75BM","self":"https://api.pagerduty.com/priorities/PSO75BM","summary":"P1","type":"priority_reference"},"urgency":"high","conference_bridge":{"conference_number":1000,"conference_url":"https://example.com"},"resolve_reason":null}}}',
};
