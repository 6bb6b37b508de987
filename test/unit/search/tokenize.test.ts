import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendTermIds, TermIds, terms, words } from '../../../src/search/tokenize.js';
import { Vocabulary } from '../../../src/search/vocabulary.js';

test('identifiers split at _, -, ., camelCase and acronyms', () => {
  assert.deepEqual(words('github_create_pull-request.v2'), ['github', 'create', 'pull', 'request', 'v2']);
  assert.deepEqual(words('getUserProfile'), ['get', 'user', 'profile']);
  assert.deepEqual(words('parseHTMLDocument API-post-page'), ['parse', 'html', 'document', 'api', 'post', 'page']);
});

test('terms drop stop words and one-letter words, and stem', () => {
  assert.deepEqual(terms('This tool will list the issues of a repository'), ['list', 'issu', 'repositori']);
  assert.deepEqual(terms('issue issues issued'), ['issu', 'issu', 'issu']);
  assert.deepEqual(terms('x 42 directories'), ['42', 'directori']);
});

test('very long runs (hashes, base64) are not terms', () => {
  assert.deepEqual(terms(`id ${'a'.repeat(41)} commit`), ['id', 'commit']);
});

test('the indexing path gives the ids of exactly the terms terms() gives', () => {
  const vocabulary = new Vocabulary();
  const texts = [
    'Create or update a single file in a GitHub repository',
    'GitHub getUser parseHTMLDocument API-post-page v2 k8s html5 x 42 directories',
    `id ${'a'.repeat(41)} commit MongoDB DevTools ABCdef aB9c 9lives`,
    'Ünïcode — naïve café: émigré’s résumé; ÀB CD',
    'the of and this tool will',
    `${'Ab'.repeat(25)} ${'xY'.repeat(10)}`,
    '',
  ];
  for (const text of texts) {
    const out = new TermIds();
    appendTermIds(text, vocabulary, out);
    // Twice: the second pass finds every word in the vocabulary's table instead of adding it.
    appendTermIds(text, vocabulary, out);
    const expected = terms(text);
    assert.deepEqual(
      [...out.slice()].map((id) => vocabulary.term(id)),
      [...expected, ...expected],
      text,
    );
  }
});
