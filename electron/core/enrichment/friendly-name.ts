// A name a person recognises, from the executable's file name: a small table for well-known programs and
// title-casing for the rest ("my-tool_v2.exe" -> "My Tool V2").

const KNOWN: Record<string, string> = {
  firefox: 'Firefox',
  chrome: 'Google Chrome',
  msedge: 'Microsoft Edge',
  msedgewebview2: 'Microsoft Edge WebView2',
  iexplore: 'Internet Explorer',
  opera: 'Opera',
  brave: 'Brave',
  vivaldi: 'Vivaldi',
  thunderbird: 'Thunderbird',
  outlook: 'Microsoft Outlook',
  teams: 'Microsoft Teams',
  'ms-teams': 'Microsoft Teams',
  slack: 'Slack',
  discord: 'Discord',
  zoom: 'Zoom',
  skype: 'Skype',
  telegram: 'Telegram',
  signal: 'Signal',
  whatsapp: 'WhatsApp',
  onedrive: 'OneDrive',
  dropbox: 'Dropbox',
  googledrivefs: 'Google Drive',
  steam: 'Steam',
  epicgameslauncher: 'Epic Games Launcher',
  code: 'Visual Studio Code',
  devenv: 'Visual Studio',
  git: 'Git',
  'git-remote-https': 'Git (HTTPS)',
  ssh: 'OpenSSH client',
  curl: 'curl',
  node: 'Node.js',
  python: 'Python',
  pythonw: 'Python',
  java: 'Java',
  javaw: 'Java',
  powershell: 'Windows PowerShell',
  pwsh: 'PowerShell',
  cmd: 'Command Prompt',
  explorer: 'Windows Explorer',
  svchost: 'Service Host',
  lsass: 'Local Security Authority',
  services: 'Services and Controller',
  spoolsv: 'Print Spooler',
  searchapp: 'Windows Search',
  searchhost: 'Windows Search',
  smartscreen: 'Windows SmartScreen',
  msmpeng: 'Microsoft Defender Antivirus',
  mpcmdrun: 'Microsoft Defender Antivirus',
  wmplayer: 'Windows Media Player',
  spotify: 'Spotify',
  vlc: 'VLC media player',
  '7zfm': '7-Zip',
  winword: 'Microsoft Word',
  excel: 'Microsoft Excel',
  powerpnt: 'Microsoft PowerPoint',
  acrord32: 'Adobe Acrobat Reader',
  acrobat: 'Adobe Acrobat',
  qbittorrent: 'qBittorrent',
  obs64: 'OBS Studio',
  notepad: 'Notepad',
  'notepad++': 'Notepad++',
  putty: 'PuTTY',
  winscp: 'WinSCP',
  filezilla: 'FileZilla',
};

/** The well-known name this file name claims ("chrome.exe" -> "Google Chrome"), if it is one of the table's. */
export function wellKnownName(path: string): string | undefined {
  const stem = baseName(path)
    .replace(/\.(exe|com|dll|scr)$/i, '')
    .toLowerCase();
  return Object.hasOwn(KNOWN, stem) ? KNOWN[stem] : undefined;
}

export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

export function friendlyName(path: string): string {
  const file = baseName(path);
  const stem = file.replace(/\.(exe|com|dll|scr)$/i, '');
  const known = KNOWN[stem.toLowerCase()];
  if (known) return known;
  const words = stem
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .split(/[\s_\-.]+/)
    .filter((w) => w.length > 0);
  if (words.length === 0) return file || path;
  return words.map((w) => (w[0] ?? '').toUpperCase() + w.slice(1)).join(' ');
}
