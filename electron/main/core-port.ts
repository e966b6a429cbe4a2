// What main needs from core. Main adapts these to Electron and decides nothing itself.
import type { CommandHandlers, ShellCommandName } from '../ipc/contract';
import type { DeltaBatch, NotificationRequest, Snapshot } from '../core/model';

export type CoreHandlers = Omit<CommandHandlers, ShellCommandName>;

export interface CoreService {
  readonly handlers: CoreHandlers;
  onDelta(listener: (batch: DeltaBatch) => void): () => void;
  onNotification(listener: (request: NotificationRequest) => void): () => void;
  /** Stops the WFP subscription and flushes the stores; resolves when it is safe to exit. */
  stop(): Promise<void>;
  /**
   * After stop: calls into Windows still running, named, that would hold the process at its end (Node joins every
   * thread it started, and cannot interrupt a call); main then ends the process at once.
   */
  callsHoldingExit?(): readonly string[];
  /** Windows is ending the session and kills us when this returns: put the engine options back, synchronously. */
  endSession(): void;
}

/** Starts core on the data folder it shares with `Portcullis.exe --cli` (see core-loader.ts). */
export type CoreLoader = () => Promise<CoreService>;

export type { Snapshot };
