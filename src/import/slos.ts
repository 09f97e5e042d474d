export async function importSlosCommand(argv: string[]): Promise<number> {
  return argv.length ? 0 : 2;
}
