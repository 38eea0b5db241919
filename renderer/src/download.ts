/** Saves a Blob as a file through the browser's download machinery (works in browser mode and Electron). */
export function downloadBlob(fileName: string, content: Blob): void {
  const url = URL.createObjectURL(content);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke later: the download may still be reading the object URL.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
