/** Placeholder: the organiser's page (session setup, sharing, merging, leaderboard, exports) is built on its own branch. */
export function OrganiserView() {
  return (
    <section className="game-card" data-testid="organiser">
      <h2>Organise a session</h2>
      <p>The organiser's page is not in this build yet.</p>
      <p>
        <a href="#home">Back to the game</a>
      </p>
    </section>
  );
}
