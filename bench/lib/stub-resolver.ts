// A local stand-in for reverse DNS: answers on the next turn of the event loop with a made-up name, so that no
// benchmark sends a PTR query to the machine's nameserver. Counts what it was asked.
import type { ReverseResolver } from '../../electron/core/enrichment/reverse-dns';

export function stubResolver(): ReverseResolver & { readonly asked: number } {
  let asked = 0;
  return {
    get asked() {
      return asked;
    },
    reverse: (address) => {
      asked++;
      return new Promise((resolve) =>
        setImmediate(() => resolve([`host-${address.replace(/[.:%]/g, '-')}.example.test`])),
      );
    },
  };
}
