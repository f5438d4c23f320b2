using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mnemo.Server.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Embeddings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "embedding",
                table: "search_entries",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "EmbeddingCount",
                table: "assets",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "ix_search_entries_unembedded",
                table: "search_entries",
                column: "id",
                filter: "embedding IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_assets_UpdatedAt",
                table: "assets",
                column: "UpdatedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_search_entries_unembedded",
                table: "search_entries");

            migrationBuilder.DropIndex(
                name: "IX_assets_UpdatedAt",
                table: "assets");

            migrationBuilder.DropColumn(
                name: "embedding",
                table: "search_entries");

            migrationBuilder.DropColumn(
                name: "EmbeddingCount",
                table: "assets");
        }
    }
}
