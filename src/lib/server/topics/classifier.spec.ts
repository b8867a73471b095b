import { describe, expect, it } from 'vitest';
import { suggestTopics, TopicModel, TopicModelError, trainTopicModel, type TopicExample } from './classifier';
import { extractFeatures } from './features';

function ex(title: string, body: string, topics: string[], rejected: string[] = []): TopicExample {
	return { features: extractFeatures({ title, body }), topics, rejected };
}

const EXAMPLES: TopicExample[] = [
	ex('Striker scores twice in cup final', 'The football club won the match after the striker scored a late goal.', ['sport']),
	ex('Tennis champion wins open', 'The champion won the tennis final in straight sets; the match lasted two hours.', ['sport']),
	ex('Coach praises team after win', 'The team coach said the players won the match with a strong second half goal.', ['sport']),
	ex('Football season opens', 'Clubs start the football season; the champion team plays its first match.', ['sport']),
	ex('Central bank raises interest rates', 'The bank raised interest rates to curb inflation as the economy grew.', ['economy']),
	ex('Inflation slows as prices ease', 'Consumer prices rose less than expected, and the central bank held rates.', ['economy']),
	ex('Shares fall on growth fears', 'Markets fell as investors worried the economy and company profits would slow.', ['economy']),
	ex('Economy grows faster than expected', 'Growth in the economy beat forecasts as exports and profits rose.', ['economy']),
	ex('New phone has faster chip', 'The smartphone maker unveiled a phone with a faster chip and better software.', ['tech']),
	ex('Software update fixes security flaw', 'The software company released an update for the security flaw in its app.', ['tech']),
	ex('Chip maker unveils AI processor', 'The processor runs AI software faster; the chip ships in new phones.', ['tech']),
	ex('App store changes rules', 'Developers of software and phone apps face new rules from the app store.', ['tech'])
];

describe('trainTopicModel and predict', () => {
	const model = trainTopicModel(EXAMPLES);

	it('learns one classifier per confirmed topic and suggests the right one for unseen text', () => {
		expect(model.topics).toEqual([
			{ topic: 'economy', positives: 4, rejections: 0 },
			{ topic: 'sport', positives: 4, rejections: 0 },
			{ topic: 'tech', positives: 4, rejections: 0 }
		]);
		const top = (title: string, body: string) => suggestTopics(model, { title, body })[0].topic;
		expect(top('Champion club wins the final', 'A late goal won the match for the team.')).toBe('sport');
		expect(top('Bank warns on inflation', 'Interest rates and prices weigh on the economy.')).toBe('economy');
		expect(top('Phone software update', 'A new chip and app for the phone.')).toBe('tech');
	});

	it('gives every topic a probability between 0 and 1, most probable first', () => {
		const scores = suggestTopics(model, { title: 'Striker wins the match', body: 'goal' });
		expect(scores.map((s) => s.topic).sort()).toEqual(['economy', 'sport', 'tech']);
		for (const s of scores) {
			expect(s.probability).toBeGreaterThan(0);
			expect(s.probability).toBeLessThan(1);
			expect(s.probability).toBeCloseTo(1 / (1 + Math.exp(-s.score)), 12);
		}
		expect(scores[0].topic).toBe('sport');
		expect(scores[0].probability).toBeGreaterThan(0.5);
		expect(scores[1].probability).toBeLessThan(0.5);
		expect(scores.map((s) => s.score)).toEqual([...scores.map((s) => s.score)].sort((a, b) => b - a));
	});

	it('is deterministic: the same examples and seed give the same model', () => {
		expect(JSON.stringify(trainTopicModel(EXAMPLES))).toBe(JSON.stringify(model));
		expect(JSON.stringify(trainTopicModel(EXAMPLES, { seed: 7 }))).not.toBe(JSON.stringify(model));
	});

	it('lets an article belong to several topics', () => {
		const both = ex(
			'Football club shares rise',
			'Shares in the football club rose as profits grew; the team won the match.',
			['sport', 'economy']
		);
		const m = trainTopicModel([...EXAMPLES, both, { ...both }]);
		const p = Object.fromEntries(m.predict(both.features).map((s) => [s.topic, s.probability]));
		expect(p.sport).toBeGreaterThan(0.5);
		expect(p.economy).toBeGreaterThan(0.5);
		expect(p.tech).toBeLessThan(0.5);
	});

	it('learns from rejections: an article rejected for a topic scores lower for it', () => {
		const article = ex('Chip shortage hits economy', 'The chip shortage slowed the economy and company profits.', []);
		const before = trainTopicModel(EXAMPLES).predict(article.features).find((s) => s.topic === 'tech')!;
		const rejected = { ...article, rejected: ['tech'] };
		const after = trainTopicModel([...EXAMPLES, rejected]);
		expect(after.predict(article.features).find((s) => s.topic === 'tech')!.probability).toBeLessThan(
			before.probability
		);
		expect(after.topics.find((t) => t.topic === 'tech')).toEqual({ topic: 'tech', positives: 4, rejections: 1 });
	});

	it('gives no classifier to a topic that was only ever rejected', () => {
		const m = trainTopicModel([...EXAMPLES, ex('Rain at the match', 'Weather stopped play.', [], ['weather'])]);
		expect(m.topics.map((t) => t.topic)).toEqual(['economy', 'sport', 'tech']);
	});
});

describe('serialisation', () => {
	const model = trainTopicModel(EXAMPLES);

	it('round-trips through JSON text with identical predictions', () => {
		const text = JSON.stringify(model);
		const again = TopicModel.fromJSON(text);
		expect(again.topics).toEqual(model.topics);
		expect(again.features).toEqual(model.features);
		expect(again.vocabularySize).toBe(model.vocabularySize);
		for (const e of EXAMPLES) expect(again.predict(e.features)).toEqual(model.predict(e.features));
		expect(JSON.stringify(again)).toBe(text);
		// Also from the parsed object, as a JSON column would give it back.
		expect(TopicModel.fromJSON(JSON.parse(text)).predict(EXAMPLES[0].features)).toEqual(
			model.predict(EXAMPLES[0].features)
		);
	});

	it('stores weights compactly as base64 float32', () => {
		const json = model.toJSON();
		expect(json.format).toBe('tegami-topic-model');
		expect(json.version).toBe(1);
		expect(Buffer.from(json.topics[0].weights, 'base64').length).toBe(model.vocabularySize * 4);
	});

	it('rejects what is not a stored model, naming the problem', () => {
		const good = model.toJSON();
		const bad = (v: unknown) => () => TopicModel.fromJSON(v);
		expect(bad('{not json')).toThrow(TopicModelError);
		expect(bad('{not json')).toThrow(/not JSON/);
		expect(bad(null)).toThrow('the stored value is not a topic model');
		expect(bad({ format: 'other' })).toThrow('the stored value is not a topic model');
		expect(bad({ ...good, version: 2 })).toThrow('has version 2; this Tegami reads version 1');
		expect(bad({ ...good, vocabulary: undefined })).toThrow('has no vocabulary');
		expect(bad({ ...good, idf: 'AAAA' })).toThrow("IDF do not match its vocabulary");
		expect(bad({ ...good, topics: [{ ...good.topics[0], weights: 'AAAA' }] })).toThrow(
			`weights of topic "economy" do not match its vocabulary`
		);
		expect(bad({ ...good, topics: [{ topic: 'x' }] })).toThrow('topic 1 of the stored topic model is incomplete');
	});
});

describe('bad input', () => {
	it('refuses to train on nothing', () => {
		expect(() => trainTopicModel([])).toThrow(new TopicModelError('there are no examples to learn from'));
	});

	it('refuses examples that confirm no topic at all', () => {
		expect(() => trainTopicModel([ex('A', 'b', [], ['x'])])).toThrow('no example is confirmed for any topic');
	});

	it('learns a topic from a single example', () => {
		const m = trainTopicModel([...EXAMPLES, ex('Rain stops play at the match', 'Heavy rain and storm weather.', ['weather'])]);
		expect(m.topics.find((t) => t.topic === 'weather')?.positives).toBe(1);
		expect(suggestTopics(m, { title: 'Storm brings heavy rain', body: 'The weather will stay wet.' })[0].topic).toBe(
			'weather'
		);
	});

	it('learns even when every term is seen only once (tiny training sets)', () => {
		const m = trainTopicModel([ex('Football', '', ['sport']), ex('Inflation', '', ['economy'])]);
		expect(m.vocabularySize).toBe(2);
		expect(suggestTopics(m, { title: 'football' })[0].topic).toBe('sport');
	});

	it('scores an empty text with every topic and finite probabilities', () => {
		const m = trainTopicModel([...EXAMPLES, ex('', '', ['sport'])]);
		const scores = suggestTopics(m, { title: '', body: '' });
		expect(scores).toHaveLength(3);
		for (const s of scores) expect(Number.isFinite(s.probability)).toBe(true);
		// With nothing to read, no topic should look confident.
		expect(Math.max(...scores.map((s) => s.probability))).toBeLessThan(0.9);
	});
});
