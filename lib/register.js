// Registers tsx for both of Node's module systems. archverify's own sources are
// ESM, but users' handlers often live in CommonJS packages (no "type": "module"),
// where tsx compiles .ts files to CommonJS and loads them through require():
// without the CommonJS hook those imports fail.
import { register as registerCommonJs } from "tsx/cjs/api";
import { register as registerEsm } from "tsx/esm/api";

registerCommonJs();
registerEsm();
