export async function runExport(argv: string[]): Promise<number> {
  return argv.length ? 0 : 2;
}
