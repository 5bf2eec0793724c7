// Drives PromptForge with the official OpenAI SDK, with only the base URL changed.
// Prints one JSON line per call: the answer text, the record id header and the usage.
import OpenAI from 'openai';

const client = new OpenAI({ baseURL: process.env.PROMPTFORGE_BASE_URL, apiKey: process.env.PROMPTFORGE_KEY });

const plain = await client.chat.completions
  .create({ model: 'local/echo', messages: [{ role: 'user', content: 'Hello from the OpenAI SDK' }], temperature: 0.2 })
  .withResponse();
console.log(JSON.stringify({
  kind: 'plain',
  text: plain.data.choices[0].message.content,
  finish: plain.data.choices[0].finish_reason,
  usage: plain.data.usage,
  recordId: plain.response.headers.get('x-promptforge-record-id'),
}));

const streamed = await client.chat.completions
  .create({
    model: 'local/echo',
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'Streaming through PromptForge works' }],
  })
  .withResponse();
let text = '';
let usage = null;
let chunks = 0;
for await (const chunk of streamed.data) {
  chunks++;
  text += chunk.choices[0]?.delta?.content ?? '';
  if (chunk.usage) usage = chunk.usage;
}
console.log(JSON.stringify({
  kind: 'stream',
  text,
  chunks,
  usage,
  recordId: streamed.response.headers.get('x-promptforge-record-id'),
}));

try {
  await client.chat.completions.create({ model: 'nope/model', messages: [{ role: 'user', content: 'x' }] });
  console.log(JSON.stringify({ kind: 'error', status: 0 }));
} catch (e) {
  console.log(JSON.stringify({ kind: 'error', status: e.status, message: e.message }));
}
