using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mnemo.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SeenConfidence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "Confidence",
                table: "asset_chunks",
                type: "REAL",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Confidence",
                table: "asset_chunks");
        }
    }
}
