/** JSON texts of the last two detail objects serialised (by identity: details are never changed once logged). */
export class DetailTexts {
  private a: object | null = null;
  private aText = '';
  private b: object | null = null;
  private bText = '';

  text(detail: Record<string, unknown>): string {
    if (detail === this.a) return this.aText;
    if (detail === this.b) return this.bText;
    this.b = this.a;
    this.bText = this.aText;
    this.a = detail;
    return (this.aText = JSON.stringify(detail));
  }
}
