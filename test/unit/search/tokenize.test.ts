import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cachedTerms, setTermCacheMode, terms, words } from '../../../src/search/tokenize.js';

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

test('cachedTerms gives the same terms as terms, remembered or not', () => {
  const text = 'Create or update a single file in a GitHub repository';
  assert.deepEqual(cachedTerms(text), terms(text));
  assert.equal(cachedTerms(text), cachedTerms(text), 'remembered');
  setTermCacheMode('off');
  try {
    assert.notEqual(cachedTerms(text), cachedTerms(text));
    assert.deepEqual(cachedTerms(text), terms(text));
  } finally {
    setTermCacheMode('remember');
  }
});
