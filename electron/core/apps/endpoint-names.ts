// The one rule that names every endpoint shown (rows, the detail panel, decisions): the domain the app looked up for
// its address (hostnameSource 'dns'), else the address's reverse-DNS name ('reverse'), else none.
//
// Rows are built for every delta batch under a flood, up to 32 endpoints each, and a snapshot page names every
// endpoint of every app on its screen, while a name changes rarely (a reverse-DNS answer arrives once, a DNS answer
// now and then, an entry expires). So each of an app's endpoints keeps what its name rests on (one field): the
// looked-up answer, or the reverse-DNS answer, or the stand-in for "no answer" that turns stale when any arrives;
// the app's endpoint set keeps the version of its program's looked-up names it was named with. An endpoint is named
// again only when its answer ran out or went stale, or the program's looked-up names changed: a check is a few
// comparisons, no lookup.

/** A domain the program looked up for one address, and until when it names connections. */
export interface LookedUpName {
  readonly source: 'dns';
  readonly name: string;
  readonly until: number;
}

/**
 * What reverse DNS says of one address: its name (none for a failed lookup), until `expires`. `stale` once the cache
 * no longer holds it as the answer (a newer one came, or it was forgotten to make room). A stand-in with no name
 * and no end means "no answer", and turns stale when any answer arrives.
 */
export interface ReverseName {
  readonly source: 'reverse';
  readonly name: string | undefined;
  readonly expires: number;
  readonly stale: boolean;
}

/** What an endpoint's name rests on. */
export type NameBasis = LookedUpName | ReverseName;

/** The name sources for the endpoints of one program, at one moment. */
export interface EndpointNaming {
  now: number;
  /** The domains the program looked up, by address; undefined when it has none remembered. */
  lookedUp: ((address: string) => LookedUpName | undefined) | undefined;
  /** Changes whenever the program's looked-up names are added, renewed or forgotten. */
  lookedUpVersion: number;
  /** Reverse DNS's answer for an address now (a current answer, or the stand-in). */
  reverse: ((address: string) => ReverseName) | undefined;
}

/** Whether `basis` still gives the name it gave: not run out, not replaced or forgotten. */
export function holds(basis: NameBasis | undefined, now: number): boolean {
  if (basis === undefined) return false;
  return basis.source === 'dns' ? now < basis.until : !basis.stale && now < basis.expires;
}

/** What the name of `address` rests on now: the rule. The name is its `name` (none when undefined). */
export function basisOf(address: string, naming: EndpointNaming): NameBasis | undefined {
  const looked = naming.lookedUp?.(address);
  if (looked !== undefined && looked.name && looked.until > naming.now) return looked;
  return naming.reverse?.(address);
}

/** The part of an endpoint that says what it is called and where that name came from. */
export interface EndpointName {
  hostname?: string | undefined;
  hostnameSource?: 'dns' | 'reverse' | undefined;
}

/** Names `target` (an endpoint that keeps no basis: a decision's) for `address`. Writes nothing when none is known. */
export function nameEndpoint(target: EndpointName, address: string, naming: EndpointNaming): void {
  const basis = basisOf(address, naming);
  if (!basis?.name) return;
  target.hostname = basis.name;
  target.hostnameSource = basis.source;
}
