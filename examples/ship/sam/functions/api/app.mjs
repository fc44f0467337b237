// Stand-in handler: a real one reads the baked file next to it with the Node
// reader (see examples/node).
export const handler = async () => ({ statusCode: 204 });
