// How core's records look to the window and the CLI: an app's row (its state, rule, publisher, path in its real
// case, endpoints named), an app's endpoints, a decision and a rule. Delta batches, snapshot pages and the whole
// snapshot all build their rows here, so that each shows the same app the same way.
import type { AppEntry, Endpoint, PendingDecision, Rule } from '../model';
import { nameEndpoint, type EndpointName, type EndpointNaming } from '../apps/endpoint-names';
import { isAppWide } from '../rules/schema';
import { deltaEndpoints, pageEndpoints } from './endpoint-rows';
import type { PublisherSources } from './publisher-sources';

/**
 * Who a row is for: a delta batch (its endpoints may be only their order, endpoint-rows.ts), a snapshot page (the
 * whole list, with the order where the deltas' list still holds), or a reader that keeps no list (CLI, tray).
 */
export type RowFor = 'delta' | 'page' | 'alone';

export class RowViews {
  /** The last version given to an app's endpoint list (endpoint-rows.ts); versions only grow. */
  private endpointsVersion = 0;
  private readonly newEndpointsVersion = (): number => ++this.endpointsVersion;

  constructor(private readonly s: PublisherSources) {}

  appEntry(key: string, rowFor: RowFor = 'alone'): AppEntry | undefined {
    const record = this.s.index.get(key);
    if (!record) return undefined;
    const rule = this.s.rules.appRule(key);
    const state = this.s.decisions.forApp(key)
      ? 'pending'
      : this.s.rules.isIgnored(key)
        ? 'ignored'
        : rule && isAppWide(rule)
          ? rule.action === 'allow'
            ? 'allowed'
            : 'blocked'
          : 'new';
    const path = record.identity.path;
    // Each endpoint named as it is built: the domain the app looked up, else the reverse-DNS name.
    const naming = this.namingFor(path);
    const endpoints =
      rowFor === 'delta'
        ? deltaEndpoints(record, naming, this.newEndpointsVersion)
        : rowFor === 'page'
          ? pageEndpoints(record, naming)
          : undefined;
    const entry = record.toEntry(state, rule?.id, this.s.clock.now(), naming, endpoints);
    if (path === undefined) return entry;
    const real = this.s.realCaseOf?.(path);
    if (real && real !== path) entry.identity = { ...entry.identity, path: real };
    const publisher = this.s.publisherOf?.(path);
    if (publisher) entry.publisher = publisher;
    return entry;
  }

  /** One object, filled in for each app named (nothing keeps it). */
  private readonly naming: EndpointNaming = {
    now: 0,
    lookedUp: undefined,
    lookedUpVersion: 0,
    reverse: (address) => this.s.reverseDns().answerOf(address),
  };

  /** The name sources for the endpoints of the program at `path`, now. */
  private namingFor(path: string | undefined): EndpointNaming {
    const naming = this.naming;
    naming.now = this.s.clock.now();
    if (this.s.hostNames) this.s.hostNames.answersFor(path, naming);
    else {
      naming.lookedUp = undefined;
      naming.lookedUpVersion = 0;
    }
    return naming;
  }

  /**
   * An app's endpoints as they are now, newest first and named, with their current attempts and last-seen times (a
   * delta row may carry only their order); null for an app not known (forgotten meanwhile).
   */
  endpointsOf(key: string): Endpoint[] | null {
    const record = this.s.index.get(key);
    if (!record) return null;
    return record.endpoints.newestFirst(this.namingFor(record.identity.path));
  }

  /** A decision's endpoints named as rows name theirs (nameEndpoint). O(endpoints). */
  private nameEndpoints(path: string | undefined, endpoints: readonly Endpoint[]): Endpoint[] {
    const naming = this.namingFor(path);
    return endpoints.map((e) => {
      const named: Endpoint & EndpointName = { ...e };
      nameEndpoint(named, e.address, naming);
      return named;
    });
  }

  /** A decision as the UI sees it: the path in its real case, endpoints with their names. */
  decisionView(d: PendingDecision): PendingDecision {
    const real = d.app.path !== undefined ? this.s.realCaseOf?.(d.app.path) : undefined;
    return {
      ...d,
      ...(real ? { app: { ...d.app, path: real } } : {}),
      endpoints: this.nameEndpoints(d.app.path, d.endpoints),
    };
  }

  /** A rule as the UI and the CLI see it: with the reason it is not enforced, when it is not. */
  ruleView(rule: Rule): Rule {
    const reason = this.s.notEnforced?.(rule.id);
    return reason === undefined ? rule : { ...rule, notEnforced: reason };
  }
}
