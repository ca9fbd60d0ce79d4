/** A one-line progress bar on a terminal; nothing when the output is piped or redirected. */
export function progressBar(stream: { isTTY?: boolean; write(text: string): unknown }) {
  let last = '';
  return {
    update(label: string, done: number, total: number): void {
      if (!stream.isTTY) return;
      const width = 30;
      const ratio = total > 0 ? Math.min(1, done / total) : 0;
      const filled = Math.round(ratio * width);
      const line = `${label.padEnd(8)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
      if (line === last) return;
      last = line;
      stream.write(`\r${line}`);
    },
    done(): void {
      if (stream.isTTY && last) stream.write('\n');
      last = '';
    },
  };
}
