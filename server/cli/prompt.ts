// Asking the operator at the terminal, with the answer hidden for passwords.
import { createInterface } from 'node:readline/promises';

export async function ask(question: string, hidden = false): Promise<string> {
  if (!process.stdin.isTTY && hidden) throw new Error(`${question.trim()} is required (stdin is not a terminal)`);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  if (hidden) {
    // Echo nothing while the password is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (s.startsWith(question)) process.stdout.write(question);
    };
  }
  const answer = await rl.question(question);
  rl.close();
  if (hidden) process.stdout.write('\n');
  return answer.trim();
}
