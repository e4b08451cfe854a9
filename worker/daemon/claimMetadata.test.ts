import { describe, expect, test } from 'vitest';
import { claimMetadataURI, claimModes } from './claimMetadata';
import { resolveConfig } from './config';

describe('claim metadata', () => {
  test('default: without --metadata-uri the claim carries the modes document, which fetch() and claimModes read back', async () => {
    const uri = claimMetadataURI(resolveConfig({}, {}));
    expect(uri).toBe('data:application/json,{"loom":1,"modes":["image","host"]}');
    expect(await (await fetch(uri)).json()).toEqual({ loom: 1, modes: ['image', 'host'] });
    expect(claimModes(uri)).toEqual(['image', 'host']);
  });

  test('behavior: the modes follow host mode and the registries; an operator URI is used as given', () => {
    expect(claimModes(claimMetadataURI(resolveConfig({ 'no-host-mode': true }, {})))).toEqual(['image']);
    expect(claimModes(claimMetadataURI(resolveConfig({ 'allowed-registries': 'none' }, {})))).toEqual(['host']);
    expect(claimMetadataURI(resolveConfig({ 'metadata-uri': 'https://worker.example/loom.json' }, {}))).toBe('https://worker.example/loom.json');
    expect(claimModes('https://worker.example/loom.json')).toBeUndefined();
    expect(claimModes('data:application/json,%7B%22loom%22%3A1%2C%22modes%22%3A%5B%22host%22%5D%7D')).toEqual(['host']);
    expect(claimModes('data:application/json,{"loom":1')).toBeUndefined();
  });
});
