export function executionLevel(manifestXml: string): string | undefined;
export function embeddedManifest(exeBytes: Uint8Array): string | undefined;
export function checkManifest(manifestXml: string | undefined, file: string, wanted?: string): void;
export default function afterSign(context: unknown): Promise<void>;
