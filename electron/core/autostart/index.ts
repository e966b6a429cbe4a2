export { Autostart, AutostartError } from './schtasks';
export type {
  AutostartDeps,
  AutostartState,
  SessionAccount,
  EnableOptions,
  ProcessResult,
  ProcessRunner,
  TempFileWriter,
} from './schtasks';
export { nodeProcessRunner, systemTempFileWriter } from './node-runner';
