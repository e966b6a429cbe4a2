export { Autostart, AutostartError } from './schtasks';
export type {
  AutostartDeps,
  AutostartState,
  EnableOptions,
  ProcessResult,
  ProcessRunner,
  TempFileWriter,
} from './schtasks';
export { nodeProcessRunner, systemTempFileWriter } from './node-runner';
