// Our filters as WFP lists them (FwpmFilterEnum0 in a session of its own), not as core remembers them.
import { createFilterManager, loadWfp, WfpEngine, type OurFilter } from '../../native/index';

export async function enumerateOurFilters(): Promise<OurFilter[]> {
  const engine = await WfpEngine.open(loadWfp(), { dynamic: true, name: 'bench: filter count' });
  try {
    return await createFilterManager(engine).listOurs();
  } finally {
    await engine.close();
  }
}
