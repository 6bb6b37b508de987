// Words that carry no meaning for choosing a tool: English function words, and the boilerplate
// every tool description repeats ("this tool will … takes two arguments"). Dropping them keeps a
// query's score on the words that tell tools apart; BM25's IDF would only damp them.
const WORDS = `a about above after again against all also am an and any are as at be because been before being below between both
but by can could did do does doing down during each either etc few for from further had has have having he her here hers him his
how i if in into is it its itself just let me more most my myself no nor not now of off on once only or other our ours out over own
per please same she should so some such than that the their theirs them then there these they this those through to too under until
up very via was we were what when where whether which while who whom why will with would you your yours
tool tools argument arguments param parameter parameters takes take optional required str string int integer bool boolean
use used using useful usage returns return given specified specific provided`;

export const STOPWORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter(Boolean));
