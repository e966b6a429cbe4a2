/* Compile-time proof that the simulator's structs have the x64 Windows layout recorded in
   native/layout/golden.json (layout_asserts.h is generated from it by scripts/build-sim.mjs). */
#include "sim.h"
#include "audit_types.h"
#include "etw_types.h"
#include "files_types.h"
#include "wintrust_types.h"

#include "layout_asserts.h"
