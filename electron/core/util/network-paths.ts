// A \\server\share path (or //server/share, which Windows reads the same), or a device path (\\?\, \\.\): opening
// one makes the elevated process connect, and sign in with the user's credentials, to whatever server it names.
export function isNetworkOrDevicePath(path: string): boolean {
  return path.startsWith('\\\\') || path.startsWith('//');
}
