import { InvalidArgumentError } from './errors';

/**
 * Names -> entries, in the style of tfjs's `serialization.registerClass`: one `register` call per
 * entry, and every list of names, lookup and error message read from here. Each name has one
 * spelling; `aliases` are other spellings that still resolve (a saved model's class name), but
 * `names` lists only the names.
 */
export class Registry<E> {
  private readonly entries = new Map<string, E>();
  private readonly aliases = new Map<string, string>();
  private readonly list: string[] = [];
  private readonly watchers: ((name: string, entry: E) => void)[] = [];

  /** `what` names the kind in messages ('margin head'); the function names head the errors. */
  constructor(
    readonly what: string,
    private readonly lookupFn: string,
    private readonly registerFn: string,
  ) {}

  /** The registered names in registration order: one live array (later registrations appear). */
  get names(): readonly string[] {
    return this.list;
  }

  /** Adds `entry` under `name` (and `aliases`); a name or alias already taken is an error. */
  register(name: string, entry: E, aliases: readonly string[] = []): E {
    const fn = this.registerFn;
    for (const [argument, key] of [['name', name], ...aliases.map((a) => ['alias', a])]) {
      if (typeof key !== 'string' || !/^[A-Za-z][\w+.-]*$/.test(key))
        throw new InvalidArgumentError(fn, argument, key, 'a name of letters, digits, - or _');
      if (this.entries.has(key) || this.aliases.has(key))
        throw new InvalidArgumentError(
          fn,
          argument,
          key,
          `a name not registered yet (taken: ${this.describe()})`,
        );
    }
    this.entries.set(name, entry);
    for (const alias of aliases) if (alias !== name) this.aliases.set(alias, name);
    this.list.push(name);
    for (const watch of this.watchers) watch(name, entry);
    return entry;
  }

  /** The name `nameOrAlias` stands for, or undefined. */
  resolve(nameOrAlias: unknown): string | undefined {
    if (typeof nameOrAlias !== 'string') return undefined;
    if (this.entries.has(nameOrAlias)) return nameOrAlias;
    return this.aliases.get(nameOrAlias);
  }

  has(nameOrAlias: unknown): boolean {
    return this.resolve(nameOrAlias) !== undefined;
  }

  /** The entry of a name or alias; anything else throws, listing the names. */
  get(nameOrAlias: unknown, argument = 'name'): E {
    const name = this.resolve(nameOrAlias);
    if (name === undefined)
      throw new InvalidArgumentError(
        this.lookupFn,
        argument,
        nameOrAlias,
        `one of ${this.describe()}`,
      );
    return this.entries.get(name)!;
  }

  /** Calls `watch` for every entry now registered and every one registered later. */
  watch(watch: (name: string, entry: E) => void): void {
    for (const name of this.list) watch(name, this.entries.get(name)!);
    this.watchers.push(watch);
  }

  /** `'a', 'b', 'c'`: the names, for messages. */
  describe(): string {
    return this.list.map((n) => `'${n}'`).join(', ');
  }
}
