// For tests: parses XML with saxes (namespaces on, any error fatal) into a small tree to query.
import { SaxesParser } from 'saxes';

export interface XmlNode {
  /** The qualified name as written, e.g. 'content:encoded'. */
  name: string;
  /** The namespace URI the name resolves to ('' for none). */
  uri: string;
  local: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

export function parseXml(xml: string): XmlNode {
  const parser = new SaxesParser({ xmlns: true });
  const root: XmlNode = { name: '#document', uri: '', local: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlNode[] = [root];
  parser.on('error', (err) => {
    throw err;
  });
  parser.on('opentag', (tag) => {
    const attrs: Record<string, string> = {};
    for (const [name, attr] of Object.entries(tag.attributes)) attrs[name] = attr.value;
    const node: XmlNode = { name: tag.name, uri: tag.uri, local: tag.local, attrs, children: [], text: '' };
    stack.at(-1)?.children.push(node);
    stack.push(node);
  });
  parser.on('text', (text) => {
    const top = stack.at(-1);
    if (top) top.text += text;
  });
  parser.on('cdata', (text) => {
    const top = stack.at(-1);
    if (top) top.text += text;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(xml).close();
  const [documentElement] = root.children;
  if (!documentElement) throw new Error('no document element');
  return documentElement;
}

export function all(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((c) => c.name === name);
}

export function one(node: XmlNode, name: string): XmlNode {
  const found = all(node, name);
  if (found.length !== 1) throw new Error(`expected one <${name}> in <${node.name}>, found ${found.length}`);
  return found[0] as XmlNode;
}

export function textOf(node: XmlNode, name: string): string {
  return one(node, name).text;
}
