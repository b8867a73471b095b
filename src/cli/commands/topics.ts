import { readFileSync } from 'node:fs';
import { parseJsonl } from '../../lib/server/imports/jsonl';
import { decodeFile } from '../../lib/server/imports/text';
import { EvaluationError, evaluate, splitFile, type CorpusRecord } from '../../lib/server/topics/evaluate';
import { UsageError, stringOption } from '../args';
import { CliError } from '../errors';
import type { Command } from '../context';

function readRecords(path: string): CorpusRecord[] {
	let bytes: Uint8Array;
	try {
		bytes = readFileSync(path);
	} catch (e) {
		throw new CliError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
	}
	const { rows, problems } = parseJsonl(decodeFile(bytes).text);
	if (problems.length) throw new CliError(`${path}: ${problems[0].location}: ${problems[0].reason}`);
	return rows.map((r) => r.value as unknown as CorpusRecord);
}

export const topicCommands: Command[] = [
	{
		name: 'topics evaluate',
		summary: 'measure topic suggestions: train on N confirmed examples per label, predict a test file',
		description:
			'Records are JSON lines with title, body and a topics array (as in the corpora); records with exactly one topic are used, their topic being the label. N examples per label are drawn (with --seed) from the train file and the model is trained in memory, exactly as the app trains a topic from the articles a person confirmed; the test file is then predicted. Without --test, the train file is split 50/50 by label and the other half is the test set. Prints macro-F1, accuracy and per-label precision, recall and F1.',
		options: {
			train: { type: 'string', placeholder: 'FILE.jsonl', description: 'records to draw confirmed examples from', required: true },
			test: { type: 'string', placeholder: 'FILE.jsonl', description: 'records to predict (default: the other half of --train)' },
			'per-label': { type: 'string', placeholder: 'N', description: 'confirmed examples per label', defaultValue: '50' },
			seed: { type: 'string', placeholder: 'N', description: 'seed for drawing the examples', defaultValue: '1' },
			json: { type: 'boolean', description: 'print the result as JSON' }
		},
		examples: ['tegami topics evaluate --train ../shared/data/corpora/livedoor.jsonl --per-label 50 --json'],
		async run(args, context) {
			const perLabel = Number(stringOption(args, 'per-label') ?? 50);
			const seed = Number(stringOption(args, 'seed') ?? 1);
			if (!Number.isInteger(perLabel) || perLabel < 1) throw new UsageError('--per-label must be a whole number of at least 1', 'topics evaluate');
			if (!Number.isInteger(seed)) throw new UsageError('--seed must be a whole number', 'topics evaluate');
			const trainPath = stringOption(args, 'train')!;
			const testPath = stringOption(args, 'test');
			let train = readRecords(trainPath);
			let test: CorpusRecord[];
			if (testPath && testPath !== trainPath) test = readRecords(testPath);
			else ({ train, test } = splitFile(train, { testFraction: 0.5, seed: 20240 }));
			try {
				const result = evaluate({ train, test, perLabel, seed });
				if (args.values.json) {
					context.out(JSON.stringify({ macroF1: result.macroF1, accuracy: result.accuracy, perLabel: result.perLabel, trainSize: result.trainSize, testSize: result.testSize }));
				} else {
					context.out(`macro-F1 ${result.macroF1.toFixed(4)}, accuracy ${result.accuracy.toFixed(4)} (${result.trainSize} training examples, ${result.testSize} test records)`);
					for (const [label, s] of Object.entries(result.perLabel)) {
						context.out(`  ${label}\tP ${s.precision.toFixed(3)}\tR ${s.recall.toFixed(3)}\tF1 ${s.f1.toFixed(3)}\t(${s.support})`);
					}
				}
			} catch (e) {
				if (e instanceof EvaluationError) throw new CliError(e.message);
				throw e;
			}
		}
	}
];
